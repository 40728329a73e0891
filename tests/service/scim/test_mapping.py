"""The documented mapping of departments, divisions and titles to functions."""

from __future__ import annotations

import pytest

from service.scim.mapping import derived_function, function_named_in


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("Engineering", "engineering"),
        ("R&D", "engineering"),
        ("Research and Development", "engineering"),
        ("Site Reliability", "engineering"),
        ("DevOps", "engineering"),
        ("Product Management", "product"),
        ("Product Design", "design"),
        ("Product Marketing", "marketing"),
        ("UX Research", "design"),
        ("Business Intelligence", "data"),
        ("Sales Engineering", "sales"),
        ("Sales - EMEA", "sales"),
        ("Business Development", "sales"),
        ("People Operations", "people"),
        ("Human-Resources", "people"),
        ("Supply Chain", "operations"),
        ("Finance & Accounting", "finance"),
        ("FP&A", "finance"),
        ("Legal and Compliance", "legal"),
        ("Customer Success", "support"),
        ("Senior Software Engineer", "engineering"),
        ("Data Scientist", "data"),
        ("Payments", None),
        ("", None),
        (None, None),
    ],
)
def test_function_named_in(name, function):
    assert function_named_in(name) == function


def test_the_first_name_that_names_a_function_decides():
    assert derived_function("Payments", "Customer Care", "Engineer") == "support"
    assert derived_function(None, None, "Engineer") == "engineering"
    assert derived_function("Payments", None, "Chief of Staff") is None
