# Finds what the Python package needs: a Python 3 interpreter with its headers, and pybind11's
# CMake package (Debian: python3-dev, pybind11-dev). Sets RBIG_PYTHON_DEPS_FOUND and, when
# something is missing, RBIG_PYTHON_DEPS_MISSING (what to install). Included by the top-level
# CMakeLists.txt (to choose the default of RBIG_BUILD_PYTHON) and by python/CMakeLists.txt.

# Debian's interpreter is the one whose numpy, scikit-learn and pybind11 .ci/install-deps
# installs; another python3 first on PATH (pyenv, conda) usually has none of them. Pass
# -DPython3_EXECUTABLE=... to build for another interpreter (setup.py passes its own).
if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "Python interpreter of the rbig package")
endif()

set(RBIG_PYTHON_DEPS_FOUND OFF)
set(RBIG_PYTHON_DEPS_MISSING "")
find_package(Python3 3.8 QUIET COMPONENTS Interpreter Development.Module)
if(NOT Python3_FOUND)
  set(RBIG_PYTHON_DEPS_MISSING "Python 3 headers (python3-dev)")
else()
  # pybind11 uses the Python3 found above (its "new" FindPython mode).
  find_package(pybind11 2.6 CONFIG QUIET)
  if(NOT pybind11_FOUND)
    set(RBIG_PYTHON_DEPS_MISSING "pybind11 (pybind11-dev)")
  else()
    set(RBIG_PYTHON_DEPS_FOUND ON)
  endif()
endif()
