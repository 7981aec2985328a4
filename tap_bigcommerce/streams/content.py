"""Storefront content streams: web pages, blog posts and tags, redirects.

None of these endpoints filters on a modification time, so all are full table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from singer_sdk.helpers.types import Context

from tap_bigcommerce.streams.base import BigCommerceStream, Record

SCOPE = "store_v2_content"


class PagesStream(BigCommerceStream):
    name = "pages"
    path = "/v3/content/pages"
    # The page body is left out of the list unless asked for.
    params: ClassVar = {"include": "body"}
    required_scope = SCOPE


class BlogPostsStream(BigCommerceStream):
    name = "blog_posts"
    path = "/v2/blog/posts"
    count_path = "/v2/blog/posts/count"
    required_scope = SCOPE


class BlogTagsStream(BigCommerceStream):
    """Every tag in use with the ids of its posts; the endpoint answers all in one list."""

    name = "blog_tags"
    path = "/v2/blog/tags"
    required_scope = SCOPE
    primary_keys: ClassVar[list[str]] = ["store_hash", "tag"]

    def pages(self, context: Context | None) -> Iterator[list[Record]]:
        # No paging parameters: asking for page 2 would return the same list again.
        yield self.endpoint().fetch({}).records


class RedirectsStream(BigCommerceStream):
    name = "redirects"
    path = "/v3/storefront/redirects"
    # to_url: the resolved target, whatever the redirect points at (product, page, URL).
    params: ClassVar = {"include": "to_url", "sort": "id", "direction": "asc"}
    required_scope = SCOPE


STREAMS: list[type[BigCommerceStream]] = [
    PagesStream,
    BlogPostsStream,
    BlogTagsStream,
    RedirectsStream,
]
