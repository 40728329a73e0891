"""SCIM 2.0 (RFC 7643/7644) for identity providers and HR systems that provision people.

The SCIM models, filter and PATCH machinery come from scim2-models; this package maps them
onto the directory: ``resources`` declares what Rapport serves, ``mapping`` turns people into
SCIM users and back, ``filters`` translates filters into SQL, ``discovery`` describes the
service, ``logic`` holds the use-cases, ``errors`` renders SCIM errors and ``api`` is the
blueprint at ``/scim/v2``.
"""
