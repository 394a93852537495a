app_name = "vault"

urlpatterns = []
