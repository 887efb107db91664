"""A tiny hand-made station folder whose report numbers are worked out by hand.

Imported by the other ``test_report*`` modules; the one test here checks that the folder
reads without a single issue.
"""

from __future__ import annotations

import datetime
from pathlib import Path

STATION_TOML = """\
format = "gdsmodel.station/1"
name = { zh = "测试供电所", en = "Test station" }
grade = "A"

[targets]
line_loss_rate_lv = "lv_11"
meter_reading_rate = "99.5"

[arrears]
"2026" = "1000.00"

[voltage_weights]
A = "1/2"
D = "1/2"
"""

# Feb: station loss (4000 - 3840) / 4000 = 4 % (the mean of the line rates would be 6 %).
# Mar: L2 sells more than it is supplied (anomaly); station (4000 - 3950) / 4000 = 1.25 %.
LINES = """\
month,line,name,voltage,supplied_kwh,sold_kwh,reactive_kvarh
2026-02,L1,一线,10kV,1000,900,
2026-02,L2,二线,10kV,3000,2940,
2026-03,L1,一线,10kV,2000,1900,1500
2026-03,L2,二线,10kV,2000,2050,0
"""

AREAS = """\
month,area,line,supplied_kwh,sold_kwh,customers
2026-02,A1,L1,800,760,100
2026-02,A2,L2,400,352,50
2026-03,A1,L1,1000,900,100
2026-03,A2,L2,500,480,50
"""

BILLING = """\
month,area,meters_due,meters_read,reading_errors,billed_yuan,collected_yuan,arrears_collected_yuan
2026-02,A1,100,100,1,500.00,480.00,10.00
2026-02,A2,50,49,0,250.00,260.00,0
2026-03,A1,100,99,0,600.00,600.00,40.00
2026-03,A2,50,50,1,300.00,270.00,0
"""

# O1: 2 h x 30 customers in March; O2: 2 minutes (short, not counted); O3: external,
# 23:00 on 28 Feb to 01:00 on 1 March: 20 customer-hours in each month, counted in Feb.
OUTAGES = """\
id,line,area,start,end,customers_affected,cause,note
O1,L1,A1,2026-03-10 08:00,2026-03-10 10:00,30,planned,检修
O2,L2,,2026-03-20T12:00+08:00,2026-03-20T12:02+08:00,50,fault,重合闸
O3,L2,A2,2026-02-28 23:00,2026-03-01 01:00,20,external,跨月
"""

VOLTAGE = """\
month,point,class,monitored_minutes,above_upper_minutes,below_lower_minutes
2026-02,P1,A,40320,0,0
2026-02,D1,D,40320,0,0
2026-03,P1,A,44640,0,0
2026-03,D1,D,44640,100,200
2026-03,D2,D,40000,0,1000
"""

TICKETS = """\
month,type,total,qualified
2026-02,work,10,10
2026-02,operation,20,20
2026-03,work,20,19
2026-03,operation,30,30
"""

RCD = """\
month,area,required,installed,in_service,operations,correct
2026-02,A1,4,4,4,4,4
2026-02,A2,3,3,3,3,3
2026-03,A1,4,4,4,5,5
2026-03,A2,3,2,2,3,2
"""

CHECKS = """\
month,rule,passed,note
2026-03,technician.statistics_reported,no,迟报
"""

FILES = {
    "station.toml": STATION_TOML,
    "lines.csv": LINES,
    "areas.csv": AREAS,
    "billing.csv": BILLING,
    "outages.csv": OUTAGES,
    "voltage.csv": VOLTAGE,
    "tickets.csv": TICKETS,
    "rcd.csv": RCD,
    "checks.csv": CHECKS,
}


def write_ledger(path: Path) -> None:
    """Gloves overdue since 1 March, an electroscope due on 10 April, new boots untested."""
    from gdsmodel.standards.safety_tools import Ledger

    d = datetime.date
    ledger = Ledger()
    ledger.register("GL-1", kind="insulating_gloves", rating="high_voltage", on=d(2025, 8, 20))
    ledger.record_acceptance_test("GL-1", on=d(2025, 9, 1), tester="李四", passed=True)
    ledger.register("ES-1", kind="electroscope", rating="10kV", on=d(2025, 4, 1))
    ledger.record_acceptance_test("ES-1", on=d(2025, 4, 10), tester="李四", passed=True)
    ledger.register("BT-1", kind="insulating_boots", on=d(2026, 3, 5))
    ledger.save(path)


def write_station(folder: Path, **replace: str | None) -> Path:
    """Write the tiny station into ``folder``; ``replace`` swaps (or, with None, drops) files
    by name (``lines_csv="..."`` for ``lines.csv``)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = dict(FILES)
    for key, text in replace.items():
        name = key.replace("_csv", ".csv").replace("_toml", ".toml").replace("_xlsx", ".xlsx")
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    write_ledger(folder / "safety_tools.json")
    return folder


def test_the_tiny_station_reads_cleanly(tmp_path: Path) -> None:
    from gdsmodel.report import load_station

    data = load_station(write_station(tmp_path / "s"))
    assert [str(i) for i in data.issues] == []
    assert [str(m) for m in data.months] == ["2026-02", "2026-03"]
    assert len(data.outages.records) == 3
