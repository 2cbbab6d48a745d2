"""The README's Python example runs from the source tree and prints what
the bundled samples say."""
import ast
import os
import re
import subprocess
import sys

from conftest import SOURCE_DIR


def test_readme_example():
    readme = (SOURCE_DIR / "README.md").read_text()
    (code,) = re.findall(r"```python\n(.*?)```", readme, re.S)
    out = subprocess.run([sys.executable, "-c", code], cwd=SOURCE_DIR, check=True, capture_output=True, text=True,
                         env=os.environ).stdout.splitlines()
    assert out[0] == "three one four"
    finals = [line.split(" ", 1)[1] for line in out[1:-1] if line.startswith("final ")]
    finals += ast.literal_eval(out[-1])  # the texts of the last events (a final, if any)
    words = [line.split()[4] for line in (SOURCE_DIR / "data" / "samples" / "digit_string.ctm").read_text().splitlines()]
    assert " ".join(finals) == " ".join(words)
    assert any(line.startswith("partial ") for line in out[1:])
