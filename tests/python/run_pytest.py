"""Runs one pytest file for CTest. As tests/test_main.cc does for doctest:
exit 77 (CTest's SKIP_RETURN_CODE) when nothing failed but something
skipped, with a "SKIPPED: <reason>" line per skipped test (what
scripts/check_skips.py reads), so a skip is never shown as a pass."""
import sys

try:
    import pytest
except ImportError:
    print("SKIPPED: pytest is not installed (apt-get install python3-pytest)")
    sys.exit(77)


class Skips:
    def __init__(self):
        self.reasons = []

    def pytest_runtest_logreport(self, report):
        if report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            self.reasons.append(f"{report.nodeid}: {reason}")


skips = Skips()
code = pytest.main(["-q", "-rs", "-p", "no:cacheprovider", *sys.argv[1:]], plugins=[skips])
if code == 0 and skips.reasons:
    for reason in skips.reasons:
        print(f"SKIPPED: {reason}")
    sys.exit(77)
sys.exit(int(code))
