"""Builds the compiled module rbig._rbig with CMake on the repository root, for the interpreter
running this script, and packages it with the Python files of python/rbig (pyproject.toml has
the metadata and the install command).

The library is compiled from the repository this file sits in, so the package is built from a
checkout (pip builds a local directory in place), not from a source archive of python/ alone.
CMAKE_BUILD_PARALLEL_LEVEL sets the compile jobs (default: all cores); RBIG_CMAKE_ARGS adds
arguments to the CMake configure step.
"""

import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def project_version():
    """The version of project(rbig VERSION x.y.z): the only place it is written."""
    cmake_lists = ROOT / "CMakeLists.txt"
    if not cmake_lists.is_file():
        sys.exit(f"rbig: {cmake_lists} not found: build the package from a checkout of the rbig "
                 "repository (pip install ./python from its root)")
    match = re.search(r"project\(rbig\s+VERSION\s+([0-9][0-9.]*)", cmake_lists.read_text())
    if not match:
        sys.exit(f"rbig: no project(rbig VERSION ...) in {cmake_lists}")
    return match.group(1)


class CMakeExtension(Extension):
    """An extension that CMake builds (no sources for setuptools to compile)."""

    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        if shutil.which("cmake") is None:
            sys.exit("rbig: cmake not found (Debian: sudo bash .ci/install-deps)")
        build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython3_EXECUTABLE={sys.executable}",
            "-DRBIG_BUILD_PYTHON=ON",
            # Only the library and the module: no tests, command, examples or install rules.
            "-DRBIG_BUILD_TESTS=OFF", "-DRBIG_BUILD_APPS=OFF", "-DRBIG_BUILD_EXAMPLES=OFF",
            "-DRBIG_BUILD_BENCH=OFF", "-DRBIG_INSTALL=OFF",
            *shlex.split(os.environ.get("RBIG_CMAKE_ARGS", "")),
        ]
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "rbig_python",
                        "--parallel", jobs], check=True)
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        built = build_dir / "python" / "rbig" / target.name
        if not built.is_file():
            sys.exit(f"rbig: CMake did not build {built}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    version=project_version(),
    ext_modules=[CMakeExtension("rbig._rbig")],
    cmdclass={"build_ext": CMakeBuild},
)
