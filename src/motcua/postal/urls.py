app_name = "postal"

urlpatterns = []
