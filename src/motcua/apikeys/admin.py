from django.contrib import admin
from rest_framework_api_key.models import APIKey

# Keys are issued and revoked on the system operator's pages (views.py); the package's own
# model is not used.
admin.site.unregister(APIKey)
