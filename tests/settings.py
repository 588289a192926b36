"""Test settings: production settings on the real PostgreSQL and Redis, served over plain http."""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/secondcrm")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")

from secondcrm.settings import *  # noqa: F403

# A test database per test run (pytest-django adds the xdist worker's suffix), so that runs in parallel, such
# as a developer's and CI's on one machine, never drop each other's database.
_run = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()
DATABASES["default"]["TEST"] = {"NAME": f"test_secondcrm_{_run}"}  # noqa: F405
# Likewise one cache namespace per test process: the workers share one Redis but not their databases.
CACHES["default"]["KEY_PREFIX"] = f"test-{_run}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405

# The test client and the live server speak http.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic in tests: serve static files from the finders.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Fast hashing: a test run creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = os.environ.get("SECONDCRM_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="secondcrm-media-")
# A Celery worker that a test starts in a subprocess (tests/imports/test_worker.py) works on that test's database
# and reads the files it uploaded: the test passes both down in these variables.
if os.environ.get("SECONDCRM_TEST_DATABASE"):
    DATABASES["default"]["NAME"] = os.environ["SECONDCRM_TEST_DATABASE"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = tempfile.mkdtemp(prefix="secondcrm-static-")
# Tests roll their transactions back, so a policy cached during one test would describe rows that no longer
# exist in the next (and xdist workers share one Redis). tests/access/test_policy_cache.py turns it on.
ACCESS_POLICY_CACHE = None
