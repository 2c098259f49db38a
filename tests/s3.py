"""A real S3 server on loopback for the tests of files in a bucket (moto's server mode, started
here, not a mock), and a bucket of the test's own on it as the portal's default storage.

Test modules that need them import the fixtures by name (``from tests.s3 import bucket,
s3_server``); each module starts one server.
"""

import sys
import uuid

import boto3
import pytest
from botocore.config import Config

from sixaika.object_storage import s3_storage
from tests.faults.conftest import free_port
from tests.waiting import start

KEYS = {"access_key": "portal-test-key", "secret_key": "portal-test-secret"}
REGION = "eu-north-1"


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    server, output = start(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    )
    try:
        output.wait_for(rf"Running on http://127\.0\.0\.1:{port}\b", 60, "the S3 server")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        output.close()


def s3_client(endpoint_url: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """A new bucket as the default storage; this machine's media folder is ``machine-1``."""
    name = f"sixaika-{uuid.uuid4().hex[:12]}"
    client = s3_client(s3_server)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(bucket=name, endpoint_url=s3_server, region=REGION, **KEYS),
    }
    settings.MEDIA_ROOT = str(tmp_path / "machine-1")
    return client, name


def bucket_objects(client, name: str) -> dict[str, bytes]:
    """Every object of the bucket: key -> content."""
    listed = client.list_objects_v2(Bucket=name).get("Contents", [])
    return {
        entry["Key"]: client.get_object(Bucket=name, Key=entry["Key"])["Body"].read()
        for entry in listed
    }
