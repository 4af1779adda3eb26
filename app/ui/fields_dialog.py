"""The optional fields of an assessment (E): age group, gender, site type, commercial,
national category, note. They apply to the next verdict given."""

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QWidget

from app.ui.forms import ok_cancel

AGE = ["", "infant", "pre_pubescent", "pubescent"]
GENDER = ["", "girls", "boys", "both", "unknown"]
SITE = ["", "website", "image_host", "file_host", "forum", "image_store", "banner_site",
        "link_site", "social_networking_site", "blog", "search_provider", "redirector",
        "web_archive"]


class FieldsDialog(QDialog):
    def __init__(self, scale: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Optional fields")
        form = QFormLayout(self)
        self.age = QComboBox()
        self.age.addItems(AGE)
        self.gender = QComboBox()
        self.gender.addItems(GENDER)
        self.site = QComboBox()
        self.site.addItems(SITE)
        self.commercial = QComboBox()
        self.commercial.addItems(["", "yes", "no"])
        self.category = QComboBox()
        self.category.addItems(["", *scale])
        self.note = QLineEdit()
        for label, widget in (("&Age group", self.age), ("&Gender", self.gender),
                              ("&Site type", self.site), ("&Commercial", self.commercial),
                              ("Ca&tegory", self.category), ("&Note", self.note)):
            form.addRow(label, widget)
        ok_cancel(self, form)

    def values(self) -> dict[str, Any]:
        return {"age_group": self.age.currentText() or None,
                "gender": self.gender.currentText() or None,
                "site_type": self.site.currentText() or None,
                "commercial": self.commercial.currentText() or None,
                "category": self.category.currentText() or None,
                "note": self.note.text() or None}
