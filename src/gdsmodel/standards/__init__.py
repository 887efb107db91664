"""WHAT: the standard as a whole, its glossary, the obligations calendar and the safety tools.

* :mod:`gdsmodel.standards.standard`: :class:`Standard` and :func:`load_standard`;
* :mod:`gdsmodel.standards.glossary`: named rules, concepts and regulations;
* :mod:`gdsmodel.standards.variant`: a station's own variant, and differences;
* :mod:`gdsmodel.standards.export`: YAML and the JSON Schema;
* :mod:`gdsmodel.standards.calendar`: obligations by period, iCalendar export;
* :mod:`gdsmodel.standards.safety_tools`: the 32-character rule, tool kinds, the ledger.
"""
