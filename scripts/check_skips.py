#!/usr/bin/python3
"""Fails when a test skipped: after scripts/install-deps.sh --dev every test
can run, so a skip means something is missing and the test checked nothing.

  check_skips.py JUNIT_XML [ALLOWED_REGEX]

JUNIT_XML: written by `ctest --output-junit`. A test skipped when its binary
exited with SKIP_RETURN_CODE (tests/test_main.cc: nothing failed, something
skipped). ALLOWED_REGEX (Python syntax) is searched in each skipped test's name
and its "SKIPPED: <reason>" lines; a match lets that test skip.
"""
import re
import sys
import xml.etree.ElementTree as ET


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    allowed = re.compile(sys.argv[2]) if len(sys.argv) == 3 and sys.argv[2] else None
    refused, allowed_count = [], 0
    for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
        skipped = case.find("skipped")
        if skipped is None or not skipped.get("message", "").startswith("SKIP_RETURN_CODE"):
            continue  # ran, or not run for a failed fixture (CTest fails on that itself)
        out = case.findtext("system-out") or ""
        reasons = [line.split("SKIPPED:", 1)[1].strip() for line in out.splitlines() if "SKIPPED:" in line]
        name = case.get("name", "")
        if allowed and (allowed.search(name) or any(allowed.search(r) for r in reasons)):
            allowed_count += 1
            continue
        refused.append(f"  {name}: {'; '.join(reasons) or '(no reason printed)'}")
    if allowed_count:
        print(f"check_skips: {allowed_count} skipped test(s) allowed by '{allowed.pattern}'")
    if refused:
        print(f"check_skips: {len(refused)} test(s) skipped:", *refused, sep="\n", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
