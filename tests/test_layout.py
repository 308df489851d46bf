"""platform/ is a source folder: a package there would shadow the standard library."""

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_platform_folder_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_standard_library_platform_module_still_imports():
    platform = importlib.import_module("platform")
    assert Path(platform.__file__).parent == Path(sys.modules["os"].__file__).parent
    assert platform.python_version()


def test_hallway_package_lives_in_platform_folder():
    import hallway

    assert Path(hallway.__file__).parent == ROOT / "platform" / "hallway"
