"""The station's work records: one engine (typed events, state machines, an append-only,
hash-chained store) and the kinds of record the standard prescribes.
"""
