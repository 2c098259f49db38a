"""Uploaded files and reports in an S3-compatible bucket (django-storages), for more than one
web or worker machine: production's ``STORAGES["default"]`` when ``SIXAIKA_S3_BUCKET`` is set.

The bucket stays private (no ACL is set on objects, so the bucket's own policy applies, which
should deny public reads). The portal never hands out a bucket URL: every file is streamed by
its download view after the same permission check as its page.
"""


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "",
    access_key: str = "",
    secret_key: str = "",
    prefix: str = "",
) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "location": prefix,
            "default_acl": None,
            "querystring_auth": True,
            # Two uploads of the same name never overwrite each other (a suffix is added).
            "file_overwrite": False,
        },
    }
