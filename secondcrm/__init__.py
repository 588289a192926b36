"""SecondCRM: the project package and the shared record platform every CRM module stands on."""

from .celery import app as celery_app

__all__ = ["celery_app"]
