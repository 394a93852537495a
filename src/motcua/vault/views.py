"""The applicant's DataVault pages (SPEC §3 item 6): list, upload, rename, remove, download."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers.errors import DossierError
from motcua.portal.auth import applicant_required

from . import services
from .forms import RenameForm, UploadForm
from .models import VaultDocument


def _document(request, pk) -> VaultDocument:
    return get_object_or_404(services.documents_of(request.user), pk=pk)


@applicant_required
def index(request):
    """GET: the vault (results delivered since the last visit are added). POST: an upload."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.upload(
                request.user, upload.name, upload.read(), title=form.cleaned_data["title"]
            )
        except DossierError as error:
            form.add_error("file" if "file" in error.fields else None, error.message)
        else:
            messages.success(request, _("The document is kept in your vault."))
            return redirect("vault:index")
    else:
        services.keep_results_of(request.user)
    documents = services.documents_of(request.user).select_related("dossier")
    return render(
        request,
        "vault/index.html",
        {
            "form": form,
            "documents": documents,
            "max_size_mb": services.max_size_mb(),
        },
        status=400 if form.errors else 200,
    )


@applicant_required
def download(request, pk):
    document = _document(request, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


@require_POST
@applicant_required
def rename(request, pk):
    document = _document(request, pk)
    form = RenameForm(request.POST)
    if form.is_valid():
        services.rename(document, request.user, form.cleaned_data["title"])
        messages.success(request, _("The document was renamed."))
    else:
        messages.error(request, _("Give the document a name."))
    return redirect("vault:index")


@require_POST
@applicant_required
def remove(request, pk):
    services.remove(_document(request, pk), request.user)
    messages.success(request, _("The document was removed from your vault."))
    return redirect("vault:index")
