from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.urls import path

def index(request):
    name = default_storage.save("uploads/x.txt", ContentFile(b"x"))
    return HttpResponse("saved " + ("uploads/x.txt" if name.startswith("uploads/x") else "?") + "\n")

urlpatterns = [path("", index)]
