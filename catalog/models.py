from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PagePermissionTester
from wagtail.search import index


class StorefrontRootPermissions(PagePermissionTester):
    """A shop's home page is the root of its storefront and the shop's record points
    at it: it goes only with the shop, so no one deletes or moves it alone (the
    database would refuse, with a server error)."""

    def can_delete(self, ignore_bulk=False):
        return False

    def can_move(self):
        return False


class HomePage(Page):
    """A shop's storefront home: the root page of its site."""

    tagline = models.CharField(
        max_length=160, blank=True, help_text="One line under the shop's name."
    )
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("tagline"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    # A home page is a site root, never a child of another shop page.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "home page"

    def permissions_for_user(self, user):
        return StorefrontRootPermissions(user, self)
