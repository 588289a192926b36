from django.contrib.auth.mixins import UserPassesTestMixin


class AdminRequiredMixin(UserPassesTestMixin):
    """Settings are for admins; anyone else gets 403."""

    raise_exception = True

    def test_func(self) -> bool:
        return self.request.user.is_superuser
