"""Builds the extension auris._auris with CMake (target _auris only) and puts
it into the package. Options: AURIS_CMAKE_ARGS (extra -D...), AURIS_BUILD_DIR
(default build/python, kept between builds so rebuilds are incremental)."""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(auris VERSION ([0-9.]+)", text).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = Path(os.environ.get("AURIS_BUILD_DIR", ROOT / "build" / "python"))
        configure = ["cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                     f"-DPython_EXECUTABLE={sys.executable}", "-DAURIS_PYTHON_MODULE=ON",
                     "-DAURIS_BUILD_TESTS=OFF", "-DAURIS_BUILD_BENCH=OFF"]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("AURIS_CMAKE_ARGS", ""))
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_auris"], check=True)
        built = next((build_dir / "python" / "auris").glob("_auris*.so"))
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(version=version(), ext_modules=[Extension("auris._auris", sources=[])],
      cmdclass={"build_ext": CMakeBuild})
