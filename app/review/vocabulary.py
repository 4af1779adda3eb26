"""The words of an assessment, as PRODUCT.md spells them: verdicts and the optional fields."""

from dataclasses import dataclass
from enum import StrEnum

from app.errors import InvalidInput
from app.text import parse_choice as parse
from hashdb.entry import Verdict


class AgeGroup(StrEnum):
    INFANT = "infant"
    PRE_PUBESCENT = "pre_pubescent"
    PUBESCENT = "pubescent"


class Gender(StrEnum):
    GIRLS = "girls"
    BOYS = "boys"
    BOTH = "both"
    UNKNOWN = "unknown"


class SiteType(StrEnum):
    """INHOPE's site types."""

    WEBSITE = "website"
    IMAGE_HOST = "image_host"
    FILE_HOST = "file_host"
    FORUM = "forum"
    IMAGE_STORE = "image_store"
    BANNER_SITE = "banner_site"
    LINK_SITE = "link_site"
    SOCIAL_NETWORK = "social_networking_site"
    BLOG = "blog"
    SEARCH_PROVIDER = "search_provider"
    REDIRECTOR = "redirector"
    WEB_ARCHIVE = "web_archive"


@dataclass(frozen=True)
class Fields:
    """The optional fields of an assessment."""

    age_group: AgeGroup | None = None
    gender: Gender | None = None
    site_type: SiteType | None = None
    commercial: bool | None = None
    category: str | None = None  # the workspace's national scale, e.g. A/B/C
    note: str = ""

    @classmethod
    def parse(cls, age_group: str | None = None, gender: str | None = None,
              site_type: str | None = None, commercial: str | bool | None = None,
              category: str | None = None, note: str | None = None,
              scale: tuple[str, ...] = ()) -> "Fields":
        if isinstance(commercial, str):
            lowered = commercial.strip().lower()
            if lowered not in {"yes", "no", "true", "false", ""}:
                raise InvalidInput(f"commercial is yes or no, not {commercial!r}")
            commercial = None if lowered == "" else lowered in {"yes", "true"}
        if category is not None and category.strip():
            if scale and category.strip() not in scale:
                raise InvalidInput(f"category {category!r} is not on the workspace's scale "
                                   f"({', '.join(scale)})")
            category = category.strip()
        else:
            category = None
        return cls(parse(AgeGroup, age_group, "age group"), parse(Gender, gender, "gender"),
                   parse(SiteType, site_type, "site type"), commercial, category,
                   (note or "").strip())


def verdict_given(text: str) -> Verdict:
    verdict = parse(Verdict, text, "verdict")
    if verdict is None:
        raise InvalidInput("a verdict is needed: baseline, national or not_illegal")
    return verdict
