"""The order `make test` hands test groups to its two workers names tests that exist (tests/conftest.py)."""

import doctest

import conftest
from conftest import COSTLIEST_FIRST, ROOT, SHARED_FOLDERS, SPLIT_FILES


def test_every_listed_group_is_a_folder_a_file_or_a_test_of_it():
    for name in (*COSTLIEST_FIRST, *SHARED_FOLDERS, *SPLIT_FILES):
        path, _, test = name.partition("::")
        assert (ROOT / path).exists(), f"{name}: no such file or folder (renamed? update tests/conftest.py)"
        if test:
            assert path in SPLIT_FILES, f"{name}: only a split file's tests are groups of their own"
            assert f"def {test.split('[')[0]}(" in (ROOT / path).read_text(encoding="utf-8"), name


def test_a_test_runs_in_its_file_its_shared_folder_or_alone():
    failures, tried = doctest.testmod(conftest, optionflags=doctest.ELLIPSIS)
    assert tried >= 3 and failures == 0
