"""Customer streams: customers (with addresses and attribute values), groups, attributes,
attribute values, subscribers."""

from __future__ import annotations

from typing import ClassVar

from tap_bigcommerce.streams.base import BigCommerceStream, ChildStream, UnsortedIncrementalStream
from tap_bigcommerce.streams.paging import KeysetSpec

SCOPE = "store_v2_customers"


class CustomersStream(BigCommerceStream):
    name = "customers"
    path = "/v3/customers"
    # Attribute values come in bulk from their own stream (customer_attribute_values).
    params: ClassVar = {"include": "addresses"}
    required_scope = SCOPE
    replication_key = "date_modified"
    # No id range filters here: a large read is cut into time ranges walked in parallel.
    keyset = KeysetSpec(
        since_param="date_modified:min",
        until_param="date_modified:max",
        sort_modified_asc={"sort": "date_modified:asc"},
    )
    included_keys = ("addresses", "attributes")


class CustomerAddressesStream(ChildStream):
    name = "customer_addresses"
    parent_stream_type = CustomersStream
    path = "/v3/customers"
    required_scope = SCOPE
    included_from = "addresses"
    parent_field = "customer_id"


class CustomerGroupsStream(UnsortedIncrementalStream):
    name = "customer_groups"
    path = "/v2/customer_groups"
    count_path = "/v2/customer_groups/count"
    required_scope = SCOPE
    replication_key = "date_modified"
    # Filters on date_modified, documents no sort: read in id order.
    since_param = "date_modified:min"


class CustomerAttributesStream(UnsortedIncrementalStream):
    name = "customer_attributes"
    path = "/v3/customers/attributes"
    required_scope = SCOPE
    replication_key = "date_modified"
    # Filters on date_modified, documents no sort: read in id order.
    since_param = "date_modified:min"


class CustomerAttributeValuesStream(UnsortedIncrementalStream):
    name = "customer_attribute_values"
    path = "/v3/customers/attribute-values"
    required_scope = SCOPE
    replication_key = "date_modified"
    # Filters on date_modified, documents no sort: read in id order.
    since_param = "date_modified:min"


class SubscribersStream(UnsortedIncrementalStream):
    name = "subscribers"
    path = "/v3/customers/subscribers"
    required_scope = SCOPE
    replication_key = "date_modified"
    # The endpoint filters on date_modified but documents no sort: read in id order.
    since_param = "date_modified:min"


STREAMS: list[type[BigCommerceStream]] = [
    CustomersStream,
    CustomerAddressesStream,
    CustomerGroupsStream,
    CustomerAttributesStream,
    CustomerAttributeValuesStream,
    SubscribersStream,
]
