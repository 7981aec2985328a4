"""Content: ``/v3/content/pages``, ``/v2/blog/posts``, ``/v2/blog/tags`` and
``/v3/storefront/redirects``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from bigcommerce_emulator import filters
from bigcommerce_emulator.errors import ApiError
from bigcommerce_emulator.generator.content import slug
from bigcommerce_emulator.paging import json_response, v2_count, v2_page, v3_page
from bigcommerce_emulator.render import render_v2, render_v3
from bigcommerce_emulator.routes.batch_bodies import json_array, v2_object
from bigcommerce_emulator.routes.v2_records import (
    delete_all_v2_records,
    delete_v2_record,
    v2_record_or_404,
)
from bigcommerce_emulator.routing import Routes, int_param, query_of, record_or_404, store_of
from bigcommerce_emulator.store import Record, Store, now

routes = Routes()
SCOPE = "store_v2_content"
INVALID = "JSON data is missing or invalid"
PAGE_TYPES = ("page", "raw", "contact_form", "link", "blog")
PAGE_FIELDS = (
    "name",
    "is_visible",
    "parent_id",
    "sort_order",
    "type",
    "is_homepage",
    "is_customers_only",
    "url",
    "meta_title",
    "meta_keywords",
    "meta_description",
    "search_keywords",
    "body",
    "email",
    "contact_fields",
    "link",
)
PAGE_BATCH = 10
REDIRECT_BATCH = 100
REDIRECT_TARGETS = ("product", "brand", "category", "page", "post", "url")


def _ids(raw: str | None) -> set[int] | None:
    return None if raw is None else {filters.parse_int(p) for p in raw.split(",") if p}


# Pages --------------------------------------------------------------------------------------


def _render_page(include: str) -> Callable[[Record], dict[str, Any]]:
    with_body = "body" in include.split(",")

    def render(rec: Record) -> dict[str, Any]:
        out: dict[str, Any] = render_v3(rec)
        if not with_body:
            out.pop("body", None)
        return out

    return render


def _page(store: Store, page_id: int) -> Record:
    return record_or_404(store.collection("pages"), page_id, "Page not found")


@routes.get("/v3/content/pages", scope=SCOPE)
async def list_pages(request: web.Request) -> web.Response:
    query = query_of(request)
    preds = filters.build_predicates(
        {k: v for k, v in query.items() if k in ("channel_id", "id:in", "name", "name:like")},
        {"channel_id": filters.parse_int, "id": filters.parse_int, "name": filters.parse_str},
    )
    records = filters.apply(store_of(request).collection("pages"), preds)
    return v3_page(query, records, render=_render_page(query.get("include", "")))


@routes.get(r"/v3/content/pages/{page_id:\d+}", scope=SCOPE)
async def get_page(request: web.Request) -> web.Response:
    rec = _page(store_of(request), int_param(request, "page_id"))
    render = _render_page(request.query.get("include", ""))
    return json_response({"data": render(rec), "meta": {}})


def _page_fields(item: Any, index: int, *, creating: bool) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ApiError(422, INVALID, errors={f"{index}": "must be a JSON object"})
    errors: dict[str, str] = {}
    if creating:
        for f in ("name", "type"):
            if not item.get(f):
                errors[f"{index}.{f}"] = "This field is required"
    if "type" in item and item["type"] not in PAGE_TYPES:
        errors[f"{index}.type"] = f"must be one of {', '.join(PAGE_TYPES)}"
    name = item.get("name")
    if name is not None and (not isinstance(name, str) or not 1 <= len(name) <= 100):
        errors[f"{index}.name"] = "must be 1 to 100 characters"
    if errors:
        raise ApiError(422, INVALID, errors=errors)
    return {k: item[k] for k in PAGE_FIELDS if k in item}


async def _page_batch(request: web.Request) -> list[Any]:
    """One page or an array of them, counted as the request's items; 413 past PAGE_BATCH."""
    body = await request.json()
    items = body if isinstance(body, list) else [body]
    request["items"] = len(items)
    if len(items) > PAGE_BATCH:
        raise ApiError(413, f"The batch holds {len(items)} pages; the limit is {PAGE_BATCH}")
    return items


@routes.post("/v3/content/pages", scope=SCOPE)
async def create_pages(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await _page_batch(request)
    planned = [_page_fields(item, i, creating=True) for i, item in enumerate(items)]
    col = store.collection("pages")
    created = []
    for i, fields in enumerate(planned):
        channel_id = items[i].get("channel_id", 1)
        rec: Record = {
            "channel_id": channel_id,
            "is_visible": True,
            "parent_id": 0,
            "sort_order": 0,
            "is_homepage": False,
            "is_customers_only": False,
            "url": f"/{slug(fields['name'])}/",
            "meta_title": None,
            "meta_keywords": None,
            "meta_description": None,
            "search_keywords": None,
            "body": "",
            **fields,
        }
        created.append(col.insert(rec, stamp=False))
    render = _render_page(request.query.get("include", ""))
    return json_response({"data": [render(r) for r in created], "meta": {}}, status=201)


@routes.put("/v3/content/pages", scope=SCOPE)
async def update_pages(request: web.Request) -> web.Response:
    store = store_of(request)
    items = await _page_batch(request)
    col = store.collection("pages")
    planned = []
    for i, item in enumerate(items):
        fields = _page_fields(item, i, creating=False)
        pid = item.get("id")
        if not isinstance(pid, int) or col.get(pid) is None:
            raise ApiError(404, "Page not found", errors={f"{i}.id": f"page {pid} not found"})
        planned.append((pid, fields))
    updated = [col.update(pid, fields) for pid, fields in planned]
    render = _render_page(request.query.get("include", ""))
    return json_response({"data": [render(r) for r in updated], "meta": {}})


@routes.put(r"/v3/content/pages/{page_id:\d+}", scope=SCOPE)
async def update_page(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _page(store, int_param(request, "page_id"))
    fields = _page_fields(await request.json(), 0, creating=False)
    rec = store.collection("pages").update(rec["id"], fields)
    return json_response({"data": _render_page(request.query.get("include", ""))(rec), "meta": {}})


@routes.delete(r"/v3/content/pages/{page_id:\d+}", scope=SCOPE)
async def delete_page(request: web.Request) -> web.Response:
    store = store_of(request)
    store.collection("pages").delete(_page(store, int_param(request, "page_id"))["id"])
    return web.Response(status=204)


@routes.delete("/v3/content/pages", scope=SCOPE)
async def delete_pages(request: web.Request) -> web.Response:
    col = store_of(request).collection("pages")
    ids = _ids(request.query.get("id:in"))
    if not ids:
        raise ApiError(422, INVALID, errors={"id:in": "This parameter is required"})
    missing = sorted(i for i in ids if col.get(i) is None)
    if missing:
        raise ApiError(404, "Page not found", errors={"id:in": str(missing)})
    for pid in ids:
        col.delete(pid)
    return web.Response(status=204)


# Blog posts ---------------------------------------------------------------------------------


def _render_post(rec: Record) -> dict[str, Any]:
    out: dict[str, Any] = render_v2(rec)
    published = rec.get("published_date")
    if published is not None:
        out["published_date"] = {
            "timezone_type": 1,
            "date": published.strftime("%Y-%m-%d %H:%M:%S.000000"),
            "timezone": "+00:00",
        }
        out["published_date_iso8601"] = published.isoformat()
    return out


def _posts(request: web.Request) -> list[Record]:
    query = query_of(request)
    preds = filters.build_predicates(
        {k: v for k, v in query.items() if ":" not in k},
        {"is_published": filters.parse_bool, "url": filters.parse_str},
    )
    if "tag" in query:
        tag = query["tag"]
        preds.append(lambda r: tag in r.get("tags", []))
    if "published_date" in query:
        day = filters.parse_date(query["published_date"]).date()
        preds.append(
            lambda r: r.get("published_date") is not None and r["published_date"].date() == day
        )
    records = filters.apply(store_of(request).collection("blog_posts"), preds)
    # Documented default order: most recently published first.
    return sorted(records, key=lambda r: (r["published_date"], r["id"]), reverse=True)


@routes.get("/v2/blog/posts", scope=SCOPE)
async def list_posts(request: web.Request) -> web.StreamResponse:
    return v2_page(query_of(request), _posts(request), render=_render_post)


@routes.get("/v2/blog/posts/count", scope=SCOPE)
async def count_posts(request: web.Request) -> web.Response:
    return v2_count(_posts(request))


def _post(store: Store, post_id: int) -> Record:
    return v2_record_or_404(store, "blog_posts", post_id)


@routes.get(r"/v2/blog/posts/{post_id:\d+}", scope=SCOPE)
async def get_post(request: web.Request) -> web.Response:
    return json_response(_render_post(_post(store_of(request), int_param(request, "post_id"))))


def _post_changes(store: Store, body: Any, current: Record | None) -> dict[str, Any]:
    body = v2_object(body)
    if current is None:
        for f in ("title", "body"):
            if not body.get(f):
                raise ApiError(400, f"The required field '{f}' was not supplied")
    allowed = (
        "title",
        "url",
        "body",
        "tags",
        "is_published",
        "meta_description",
        "meta_keywords",
        "author",
        "thumbnail_path",
    )
    changes = {k: body[k] for k in allowed if k in body}
    if body.get("published_date"):
        changes["published_date"] = filters.parse_date(str(body["published_date"]))
    if "url" in changes:
        taken = store.collection("blog_posts").where("url", changes["url"])
        if any(current is None or r["id"] != current["id"] for r in taken):
            raise ApiError(409, f"The URL {changes['url']!r} is already used by another post")
    return changes


@routes.post("/v2/blog/posts", scope=SCOPE)
async def create_post(request: web.Request) -> web.Response:
    store = store_of(request)
    changes = _post_changes(store, await request.json(), None)
    url = changes.get("url") or f"/blog/{slug(changes['title'])}/"
    if store.collection("blog_posts").where("url", url):
        raise ApiError(409, f"The URL {url!r} is already used by another post")
    rec: Record = {
        "tags": [],
        "is_published": False,
        "published_date": now(),
        "meta_description": None,
        "meta_keywords": None,
        "author": None,
        "thumbnail_path": None,
        **changes,
        "url": url,
        "preview_url": url,
        "summary": f"<p>{changes['title']}</p>",
    }
    rec = store.collection("blog_posts").insert(rec, stamp=False)
    return json_response(_render_post(rec))


@routes.put(r"/v2/blog/posts/{post_id:\d+}", scope=SCOPE)
async def update_post(request: web.Request) -> web.Response:
    store = store_of(request)
    rec = _post(store, int_param(request, "post_id"))
    changes = _post_changes(store, await request.json(), rec)
    if "url" in changes:
        changes["preview_url"] = changes["url"]
    return json_response(_render_post(store.collection("blog_posts").update(rec["id"], changes)))


@routes.delete(r"/v2/blog/posts/{post_id:\d+}", scope=SCOPE)
async def delete_post(request: web.Request) -> web.Response:
    return delete_v2_record(request, "blog_posts", "post_id")


@routes.delete("/v2/blog/posts", scope=SCOPE)
async def delete_posts(request: web.Request) -> web.Response:
    return delete_all_v2_records(request, "blog_posts")


@routes.get("/v2/blog/tags", scope=SCOPE)
async def list_tags(request: web.Request) -> web.Response:
    # The real API answers with a flat array of {tag, post_ids}.
    tags: dict[str, list[int]] = {}
    for post in store_of(request).collection("blog_posts"):
        for tag in post.get("tags", []):
            tags.setdefault(tag, []).append(post["id"])
    return json_response([{"tag": t, "post_ids": ids} for t, ids in sorted(tags.items())])


# Redirects ----------------------------------------------------------------------------------


def _render_redirect(store: Store, include: str) -> Callable[[Record], dict[str, Any]]:
    with_url = "to_url" in include.split(",")
    site_urls = {s["id"]: s["url"] for s in store.collection("sites")}

    def render(rec: Record) -> dict[str, Any]:
        out: dict[str, Any] = render_v3(rec)
        if with_url:
            to = rec["to"]
            base = site_urls.get(rec["site_id"], "https://example.com").rstrip("/")
            if to["type"] == "url":
                out["to_url"] = to["url"]
            else:
                out["to_url"] = f"{base}/{to['type']}-{to.get('entity_id', 0)}/"
        return out

    return render


@routes.get("/v3/storefront/redirects", scope=SCOPE)
async def list_redirects(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    preds = filters.build_predicates(
        {k: v for k, v in query.items() if k in ("site_id", "id:in", "id:min", "id:max")},
        {"site_id": filters.parse_int, "id": filters.parse_int},
    )
    if query.get("keyword"):
        needle = query["keyword"].lower()
        preds.append(
            lambda r: (
                needle in r["from_path"].lower() or needle in str(r["to"].get("url", "")).lower()
            )
        )
    records = filters.apply(store.collection("redirects"), preds)
    sort = query.get("sort")
    if sort == "type":
        records = sorted(records, key=lambda r: r["to"]["type"])
        if query.get("direction", "asc").lower() == "desc":
            records.reverse()
    else:
        records = filters.sort_records(
            records, sort, query.get("direction"), ("from_path", "site_id", "id")
        )
    return v3_page(query, records, render=_render_redirect(store, query.get("include", "")))


def _redirect_fields(store: Store, item: Any, i: int) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not isinstance(item, dict):
        raise ApiError(422, INVALID, errors={f"{i}": "must be a JSON object"})
    if not isinstance(item.get("from_path"), str) or not item["from_path"].startswith("/"):
        errors[f"{i}.from_path"] = "This field is required (a path starting with /)"
    if (
        not isinstance(item.get("site_id"), int)
        or store.collection("sites").get(item["site_id"]) is None
    ):
        errors[f"{i}.site_id"] = "site not found"
    to = item.get("to")
    if not isinstance(to, dict) or to.get("type") not in REDIRECT_TARGETS:
        errors[f"{i}.to.type"] = f"must be one of {', '.join(REDIRECT_TARGETS)}"
    elif to["type"] == "url" and not to.get("url"):
        errors[f"{i}.to.url"] = "This field is required for a url redirect"
    elif to["type"] != "url" and not isinstance(to.get("entity_id"), int):
        errors[f"{i}.to.entity_id"] = "This field is required"
    if errors:
        raise ApiError(422, INVALID, errors=errors)
    assert isinstance(to, dict)  # checked above
    target = {k: to[k] for k in ("type", "entity_id", "url") if k in to}
    return {"site_id": item["site_id"], "from_path": item["from_path"], "to": target}


@routes.put("/v3/storefront/redirects", scope=SCOPE)
async def upsert_redirects(request: web.Request) -> web.Response:
    store = store_of(request)
    body = await json_array(request, "redirects")
    if len(body) > REDIRECT_BATCH:
        raise ApiError(413, f"The batch holds {len(body)} redirects; the limit is {REDIRECT_BATCH}")
    planned = [_redirect_fields(store, item, i) for i, item in enumerate(body)]
    col = store.collection("redirects")
    saved = []
    for fields in planned:
        # Upsert: a site has one redirect per from_path.
        match = next(
            (
                r
                for r in col.where("site_id", fields["site_id"])
                if r["from_path"] == fields["from_path"]
            ),
            None,
        )
        if match is not None:
            saved.append(col.update(match["id"], {"to": fields["to"]}))
        else:
            saved.append(col.insert(fields, stamp=False))
    render = _render_redirect(store, "")
    return json_response({"data": [render(r) for r in saved], "meta": {}}, status=201)


@routes.delete("/v3/storefront/redirects", scope=SCOPE)
async def delete_redirects(request: web.Request) -> web.Response:
    col = store_of(request).collection("redirects")
    ids = _ids(request.query.get("id:in"))
    site = request.query.get("site_id")
    if ids is None and site is None:
        raise ApiError(422, INVALID, errors={"id:in": "id:in or site_id is required"})
    site_id = filters.parse_int(site) if site is not None else None
    for rec in list(col):
        if (ids is None or rec["id"] in ids) and (site_id is None or rec["site_id"] == site_id):
            col.delete(rec["id"])
    return web.Response(status=204)
