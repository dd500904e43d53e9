"""Partner-portal checks with the real clients partners use.

Sickle harvests OAI-PMH, feedparser reads the Atom feed, lxml validates and
inspects the XML, openapi-spec-validator checks the OpenAPI document and
openapi-schema-validator checks real answers against it. The server under test is at $KB_BASE_URL (run.sh starts
one when it is not given). $KB_OAI_XSD may point to the OAI-PMH 2.0 XML
schema (run.sh takes it from the pyoai source package on PyPI).
"""

import csv
import io
import os
import re
from urllib.parse import urlsplit

import feedparser
import pytest
import requests
from lxml import etree
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

BASE = os.environ.get("KB_BASE_URL", "").rstrip("/")
CI = os.environ.get("CI") == "true"
OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {
    "oai": OAI,
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
}
DATESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")

if not BASE:
    pytest.fail("KB_BASE_URL is not set: run tests/partners/run.sh", pytrace=False)

HOST = urlsplit(BASE).hostname


def get(path, **params):
    response = requests.get(BASE + path, params=params, timeout=60)
    response.raise_for_status()
    return response


def local_id(identifier):
    prefix = f"oai:{HOST}:"
    assert identifier.startswith(prefix), identifier
    return identifier[len(prefix):]


@pytest.fixture(scope="session")
def catalogue():
    """The JSON export: every resource's metadata, the reference list."""
    items = get("/api/v1/export.json").json()
    assert items, "the export is empty"
    return {item["id"]: item for item in items}


@pytest.fixture(scope="session")
def schema():
    path = os.environ.get("KB_OAI_XSD")
    if not path or not os.path.exists(path):
        reason = "KB_OAI_XSD not set: OAI-PMH schema validation skipped"
        if CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return etree.XMLSchema(etree.parse(path))


def harvester():
    """A Sickle client that counts the HTTP requests it makes."""
    sickle = Sickle(BASE + "/oai", timeout=60)
    sickle.requests_made = 0
    inner = sickle.harvest

    def counting(**kwargs):
        sickle.requests_made += 1
        return inner(**kwargs)

    sickle.harvest = counting
    return sickle


def test_sickle_harvests_every_record(catalogue):
    """Sickle follows resumption tokens through ListRecords and gets every
    resource in the export exactly once, each with oai_dc metadata."""
    sickle = harvester()
    records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
    assert sickle.requests_made > 1, "the harvest should need resumption tokens"
    ids = [local_id(r.header.identifier) for r in records]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(catalogue)
    for record in records:
        item = catalogue[local_id(record.header.identifier)]
        assert record.metadata["title"] == [item["title"]]
        assert record.metadata["identifier"] == [item["url"]]
        assert DATESTAMP.match(record.header.datestamp)


def test_sickle_selective_by_set(catalogue):
    """A set harvest returns exactly the resources with that offer or type."""
    sickle = harvester()
    for set_spec, key, value in [
        ("offer:reading", "offers", "reading"),
        ("type:case-study", "type", "case-study"),
    ]:
        headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set=set_spec))
        got = {local_id(h.identifier) for h in headers}
        expected = {
            i for i, item in catalogue.items()
            if (value in item[key] if key == "offers" else item[key] == value)
        }
        assert expected and got == expected, set_spec
        assert all(set_spec in h.setSpecs for h in headers)


def test_sickle_selective_by_date(catalogue):
    """from/until select by datestamp, inclusively, at both granularities."""
    sickle = harvester()
    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc"))
    stamps = {local_id(h.identifier): h.datestamp for h in headers}
    newest, oldest = max(stamps.values()), min(stamps.values())
    got = {local_id(h.identifier) for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": newest})}
    assert got == {i for i, s in stamps.items() if s >= newest}
    day = oldest[:10]
    got = {local_id(h.identifier) for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", until=day)}
    assert got == {i for i, s in stamps.items() if s[:10] <= day}
    with pytest.raises(NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", until="1999-12-31"))


def test_sickle_get_record(catalogue):
    """GetRecord returns the Dublin Core of one resource."""
    rid, item = sorted(catalogue.items())[0]
    record = harvester().GetRecord(identifier=f"oai:{HOST}:{rid}", metadataPrefix="oai_dc")
    assert local_id(record.header.identifier) == rid
    assert record.metadata["title"] == [item["title"]]
    assert record.metadata["description"] == [item["summary"]]
    assert record.metadata["publisher"] == [item["organisation"]]
    assert record.metadata["language"] == [item["language"]]


def test_identify_and_formats():
    """Identify and ListMetadataFormats, read through Sickle."""
    sickle = harvester()
    identify = sickle.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.baseURL == BASE + "/oai"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert DATESTAMP.match(identify.earliestDatestamp)
    prefixes = [f.metadataPrefix for f in sickle.ListMetadataFormats()]
    assert prefixes == ["oai_dc"]
    specs = [s.setSpec for s in sickle.ListSets()]
    assert "offer:reading" in specs and "type:case-study" in specs


OAI_QUERIES = [
    {"verb": "Identify"},
    {"verb": "ListMetadataFormats"},
    {"verb": "ListSets"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "offer:reading"},
    {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
    {"verb": "ListRecords", "metadataPrefix": "nope"},
    {"verb": "Nope"},
]


@pytest.mark.parametrize("query", OAI_QUERIES, ids=lambda q: "-".join(q.values()))
def test_oai_responses_are_schema_valid(query, schema, catalogue):
    """Every kind of OAI-PMH answer, errors included, is valid against the
    OAI-PMH 2.0 XML schema."""
    if query["verb"] == "GetRecord":
        query = {**query, "identifier": f"oai:{HOST}:{sorted(catalogue)[0]}"}
    doc = etree.fromstring(get("/oai", **query).content)
    schema.assertValid(doc)


def test_oai_dc_elements(catalogue):
    """Without the oai_dc schema offline, check its shape with XPath: the
    oai_dc:dc root with schemaLocation, Dublin Core elements only, and the
    required ones present in every record."""
    doc = etree.fromstring(get("/oai", verb="ListRecords", metadataPrefix="oai_dc").content)
    dcs = doc.xpath("//oai:record/oai:metadata/oai_dc:dc", namespaces=NS)
    assert dcs
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
    for dc in dcs:
        assert dc.get(xsi).split() == [NS["oai_dc"], "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"]
        for child in dc:
            assert etree.QName(child).namespace == NS["dc"]
        for name in ["title", "description", "subject", "type", "date", "coverage", "publisher",
                     "creator", "language", "identifier"]:
            assert dc.xpath(f"dc:{name}", namespaces=NS), name
        url = dc.xpath("string(dc:identifier)", namespaces=NS)
        assert url.startswith(BASE + "/resources/")
    for stamp in doc.xpath("//oai:header/oai:datestamp/text()", namespaces=NS):
        assert DATESTAMP.match(stamp), stamp
    assert doc.xpath("string(/oai:OAI-PMH/oai:request/@verb)", namespaces=NS) == "ListRecords"
    assert DATESTAMP.match(doc.xpath("string(//oai:responseDate)", namespaces=NS))


@pytest.mark.parametrize("params", [
    {"q": "reading"},
    {"offer": "health-and-wellbeing", "per_page": "5"},
    {"q": "digital", "type": "case-study", "page": "1"},
])
def test_feedparser_reads_the_atom_feed(params):
    """feedparser reads the feed without complaint (bozo 0) and its entries
    are the search API's hits for the same parameters, newest first."""
    response = get("/feeds/atom", **params)
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    hits = get("/api/v1/search", **params, sort="newest").json()["hits"]
    assert hits
    assert [e.link for e in feed.entries] == [BASE + h["url"] for h in hits]
    assert [e.title for e in feed.entries] == [h["title"] for h in hits]
    for entry, hit in zip(feed.entries, hits):
        assert entry.id == BASE + hit["url"]
        assert {t.term for t in entry.tags} == set(hit["offers"])
        assert entry.summary == hit["summary"]
        assert entry.updated_parsed is not None
    assert any(link.rel == "self" for link in feed.feed.links)


def test_opensearch_description():
    """The OpenSearch description's templates work when filled in."""
    doc = etree.fromstring(get("/opensearch.xml").content)
    templates = {u.get("type"): u.get("template") for u in doc.xpath("//os:Url", namespaces=NS)}
    for kind in ["text/html", "application/atom+xml", "application/json"]:
        assert kind in templates, kind
    url = templates["application/json"].replace("{searchTerms}", "reading").replace("{startPage?}", "1")
    assert requests.get(url, timeout=60).json()["total"] > 0
    url = templates["application/atom+xml"].replace("{searchTerms}", "reading").replace("{startPage?}", "1")
    assert feedparser.parse(requests.get(url, timeout=60).content).entries


def test_sitemap_lists_every_resource(catalogue):
    """The sitemap has every resource URL (and the home page) with lastmod."""
    doc = etree.fromstring(get("/sitemap.xml").content)
    locs = doc.xpath("//sm:url/sm:loc/text()", namespaces=NS)
    assert set(locs) == {item["url"] for item in catalogue.values()} | {BASE + "/"}
    assert len(doc.xpath("//sm:url/sm:lastmod", namespaces=NS)) == len(locs)


def test_csv_export_matches_json(catalogue):
    """The CSV export has a header and one row per resource of the JSON export,
    with the columns the datapackage describes."""
    rows = list(csv.reader(io.StringIO(get("/api/v1/export.csv").text)))
    assert len(rows) == len(catalogue) + 1
    package = get("/api/v1/datapackage.json").json()
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert rows[0] == fields
    by_id = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert set(by_id) == set(catalogue)
    for rid, item in catalogue.items():
        assert by_id[rid]["title"] == item["title"]
        assert by_id[rid]["offers"].split(";") == item["offers"]


@pytest.fixture(scope="session")
def openapi():
    return get("/api/v1/openapi.json").json()


def test_openapi_document_is_valid(openapi):
    """The OpenAPI document passes the OpenAPI 3.1 validator."""
    assert openapi["openapi"].startswith("3.1")
    validate_spec(openapi)


@pytest.mark.parametrize("path, uri, status", [
    ("/api/v1/search", "/api/v1/search?q=reading&offer=reading&sort=newest", 200),
    ("/api/v1/search", "/api/v1/search?per_page=1000", 400),
    ("/api/v1/resources/{id}", None, 200),
    ("/api/v1/resources/{id}", "/api/v1/resources/no/such/thing", 404),
    ("/api/v1/facets", "/api/v1/facets?region=england", 200),
    ("/api/v1/suggest", "/api/v1/suggest?q=read", 200),
    ("/api/v1/export.json", "/api/v1/export.json", 200),
])
def test_answers_match_openapi(openapi, catalogue, path, uri, status):
    """Real answers, errors included, are valid against the documented schema."""
    if uri is None:
        uri = "/api/v1/resources/" + sorted(catalogue)[0]
    response = requests.get(BASE + uri, timeout=60)
    assert response.status_code == status
    schema = openapi["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    OAS31Validator({**schema, "components": openapi["components"]}).validate(response.json())


def test_api_keys():
    """A partner key is accepted in either header and counted (RateLimit
    headers); a wrong key is refused with 401; no key is still fine."""
    key = os.environ.get("KB_API_KEY")
    if not key:
        pytest.skip("KB_API_KEY not set: run.sh sets it when it starts the server")
    for headers in [{"X-API-Key": key}, {"Authorization": f"Bearer {key}"}]:
        response = requests.get(BASE + "/api/v1/search", params={"q": "reading"}, headers=headers, timeout=60)
        assert response.status_code == 200
        assert int(response.headers["RateLimit-Limit"]) == 1000
        assert 0 <= int(response.headers["RateLimit-Remaining"]) < 1000
    wrong = requests.get(BASE + "/api/v1/search", headers={"X-API-Key": "kb_wrong"}, timeout=60)
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_api_key"
    anonymous = requests.get(BASE + "/api/v1/search", timeout=60)
    assert anonymous.status_code == 200 and "RateLimit-Limit" not in anonymous.headers


def test_resource_pages_carry_json_ld(catalogue):
    """Every resource page yields one schema.org CreativeWork whose fields
    match the resource, as a JSON-LD consumer (extruct) reads it."""
    import extruct

    for resource in list(catalogue.values())[:25]:
        url = resource["url"] if resource["url"].startswith("http") else f"{BASE}{resource['url']}"
        page = requests.get(url, timeout=10)
        assert page.status_code == 200
        data = extruct.extract(page.text, base_url=url, syntaxes=["json-ld"])["json-ld"]
        assert len(data) == 1, data
        item = data[0]
        assert item["@context"].startswith("https://schema.org")
        assert item["@type"] in ("CreativeWork", "Article", "Report")
        assert item["name"] == resource["title"]
        assert item["url"] == url
        assert item["inLanguage"] == resource["language"]
        assert str(resource["year"]) in str(item.get("datePublished", ""))
        assert item["publisher"]["name"] == resource["organisation"]
        assert item["spatialCoverage"]["name"]
        assert item["about"]
