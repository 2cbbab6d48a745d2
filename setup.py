"""Builds the extension auris._auris with CMake (target _auris only) and puts
it into the package: pip install --no-build-isolation . / python3 -m build
--no-isolation --wheel. Environment:
  AURIS_BUILD_DIR   the CMake tree (default build/python, kept between builds
                    so rebuilds are incremental). An already configured tree,
                    e.g. build/release, is built as configured (only _auris),
                    so the package reuses its libraries.
  AURIS_CMAKE_ARGS  extra -D... for a new tree."""
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(auris VERSION ([0-9.]+)", text).group(1)


def cache_value(build_dir, name):
    match = re.search(rf"^{name}:\w+=(.*)$", (build_dir / "CMakeCache.txt").read_text(), re.M)
    return match.group(1) if match else None


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = Path(os.environ.get("AURIS_BUILD_DIR", ROOT / "build" / "python")).resolve()
        if not (build_dir / "CMakeCache.txt").exists():
            configure = ["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                         f"-DPython_EXECUTABLE={sys.executable}", "-DAURIS_PYTHON_MODULE=ON",
                         "-DAURIS_BUILD_TESTS=OFF", "-DAURIS_BUILD_BENCH=OFF"]
            if shutil.which("ninja"):
                configure += ["-G", "Ninja"]
            configure += shlex.split(os.environ.get("AURIS_CMAKE_ARGS", ""))
            subprocess.run(configure, check=True)
        elif cache_value(build_dir, "AURIS_PYTHON_MODULE") != "ON":
            sys.exit(f"setup.py: {build_dir} was configured with AURIS_PYTHON_MODULE off "
                     "(pybind11-dev missing then?); reconfigure it with -DAURIS_PYTHON_MODULE=ON")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_auris"], check=True)
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        built = build_dir / "python" / "auris" / f"_auris{suffix}"
        if not built.exists():
            found = [p.name for p in (build_dir / "python" / "auris").glob("_auris*")]
            sys.exit(f"setup.py: {build_dir} built {found} for another Python than {sys.executable} "
                     f"(wants _auris{suffix}); use another AURIS_BUILD_DIR")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(version=version(), ext_modules=[Extension("auris._auris", sources=[])],
      cmdclass={"build_ext": CMakeBuild})
