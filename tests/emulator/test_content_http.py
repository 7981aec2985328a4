"""Pages, blog posts, blog tags and redirects over real HTTP."""

from __future__ import annotations

from tests.emulator import openapi_spec
from tests.emulator_process import Emulator


def test_pages_include_body_and_filters(shared_emulator: Emulator) -> None:
    plain = shared_emulator.api("GET", "/v3/content/pages").json()["data"]
    assert plain and all("body" not in p for p in plain)
    full = shared_emulator.api("GET", "/v3/content/pages", params={"include": "body"}).json()
    assert all("body" in p for p in full["data"])
    ids = f"{plain[0]['id']},{plain[2]['id']}"
    picked = shared_emulator.api("GET", "/v3/content/pages", params={"id:in": ids}).json()
    assert [p["id"] for p in picked["data"]] == [plain[0]["id"], plain[2]["id"]]
    like = shared_emulator.api("GET", "/v3/content/pages", params={"name:like": "privacy"})
    assert [p["name"] for p in like.json()["data"]] == ["Privacy Policy"]


def test_page_crud_and_batch_cap(emulator: Emulator) -> None:
    r = emulator.api("POST", "/v3/content/pages", json=[{"name": "Lookbook", "type": "page"}])
    assert r.status_code == 201, r.text
    page = r.json()["data"][0]
    bad = emulator.api("POST", "/v3/content/pages", json={"name": "x", "type": "nope"})
    assert bad.status_code == 422
    too_many = [{"name": f"P{i}", "type": "page"} for i in range(11)]
    assert emulator.api("POST", "/v3/content/pages", json=too_many).status_code == 413
    r = emulator.api("PUT", "/v3/content/pages", json=[{"id": page["id"], "is_visible": False}])
    assert r.status_code == 200 and r.json()["data"][0]["is_visible"] is False
    r = emulator.api("PUT", f"/v3/content/pages/{page['id']}", json={"name": "Lookbook 2"})
    assert r.json()["data"]["name"] == "Lookbook 2"
    assert (
        emulator.api("DELETE", "/v3/content/pages", params={"id:in": page["id"]}).status_code == 204
    )
    assert emulator.api("GET", f"/v3/content/pages/{page['id']}").status_code == 404

    post = emulator.api("POST", "/v2/blog/posts", json={"title": "Hello", "body": "<p>Hi</p>"})
    assert post.status_code == 200, post.text
    pid = post.json()["id"]
    dup = emulator.api("POST", "/v2/blog/posts", json={"title": "Hello", "body": "<p>Hi</p>"})
    assert dup.status_code == 409, "a post URL is unique"
    r = emulator.api(
        "PUT", f"/v2/blog/posts/{pid}", json={"tags": ["launch"], "is_published": True}
    )
    assert r.json()["tags"] == ["launch"]
    tags = emulator.api("GET", "/v2/blog/tags").json()
    assert {"tag": "launch", "post_ids": [pid]} in tags
    assert emulator.api("DELETE", f"/v2/blog/posts/{pid}").status_code == 204
    assert emulator.api("GET", f"/v2/blog/posts/{pid}").status_code == 404


def test_blog_posts_order_filters_and_count(shared_emulator: Emulator) -> None:
    posts = shared_emulator.api("GET", "/v2/blog/posts", params={"limit": 250}).json()
    assert shared_emulator.api("GET", "/v2/blog/posts/count").json()["count"] == len(posts)
    dates = [p["published_date_iso8601"] for p in posts]
    assert dates == sorted(dates, reverse=True), "newest first, as documented"
    published = shared_emulator.api("GET", "/v2/blog/posts", params={"is_published": "true"})
    assert all(p["is_published"] for p in published.json())
    tagged = next(p for p in posts if p["tags"])
    tag = tagged["tags"][0]
    by_tag = shared_emulator.api("GET", "/v2/blog/posts", params={"tag": tag}).json()
    assert tagged["id"] in [p["id"] for p in by_tag] and all(tag in p["tags"] for p in by_tag)


def test_redirects_upsert_filter_and_delete(emulator: Emulator) -> None:
    site_id = emulator.api("GET", "/v3/sites").json()["data"][0]["id"]
    item = {
        "site_id": site_id,
        "from_path": "/old-hat/",
        "to": {"type": "url", "url": "https://x.example.com/hat"},
    }
    r = emulator.api("PUT", "/v3/storefront/redirects", json=[item])
    assert r.status_code == 201, r.text
    rid = r.json()["data"][0]["id"]
    moved = {**item, "to": {"type": "url", "url": "https://x.example.com/cap"}}
    again = emulator.api("PUT", "/v3/storefront/redirects", json=[moved])
    assert again.json()["data"][0]["id"] == rid, "the same site and from_path is updated"
    got = emulator.api(
        "GET", "/v3/storefront/redirects", params={"id:in": rid, "include": "to_url"}
    ).json()["data"]
    assert got[0]["to_url"] == "https://x.example.com/cap"
    kw = emulator.api("GET", "/v3/storefront/redirects", params={"keyword": "old-hat"}).json()
    assert [x["id"] for x in kw["data"]] == [rid]
    bad = emulator.api(
        "PUT", "/v3/storefront/redirects", json=[{"from_path": "/a/", "site_id": site_id}]
    )
    assert bad.status_code == 422
    assert (
        emulator.api("DELETE", "/v3/storefront/redirects", params={"id:in": rid}).status_code == 204
    )
    left = emulator.api("GET", "/v3/storefront/redirects", params={"id:in": rid}).json()["data"]
    assert left == []


def test_blog_tags_match_the_documented_tag_schema(shared_emulator: Emulator) -> None:
    # The operation's schema nests blogTags (an array) inside another array; the body is
    # checked against blogTags itself, the shape the API sends.
    schema = openapi_spec.documents()["store_content.v2.yml"]["components"]["schemas"]["blogTags"]
    body = shared_emulator.api("GET", "/v2/blog/tags").json()
    assert body, "the seeded posts carry tags"
    assert openapi_spec.validate(schema, body, check_dates=False) == []
    posts = shared_emulator.api("GET", "/v2/blog/posts", params={"limit": 250}).json()
    for entry in body:
        assert entry["post_ids"] == sorted(p["id"] for p in posts if entry["tag"] in p["tags"])
