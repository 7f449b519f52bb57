"""Build steps pyproject.toml cannot declare: a wheel carries compiled translation catalogs and
the repository's top-level templates/ and migrations/ inside the package, so `pip install` of
the wheel serves every language and can migrate its database. (An editable install reads them
from the checkout, where `make babel-compile` compiles the catalogs in place.)"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("templates", "migrations")


class BuildWithCatalogsAndTemplates(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "observer"
        for folder in BUNDLED:
            target = package / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(
                ROOT / folder, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        self._compile_catalogs(package / "translations")

    @staticmethod
    def _compile_catalogs(translations: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in sorted((ROOT / "observer" / "translations").glob("*/LC_MESSAGES/*.po")):
            language = po_path.parts[-3]
            mo_path = translations / language / "LC_MESSAGES" / (po_path.stem + ".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with po_path.open("rb") as source:
                catalog = read_po(source, locale=language)
            with mo_path.open("wb") as target:
                write_mo(target, catalog)


setup(cmdclass={"build_py": BuildWithCatalogsAndTemplates})
