"""The visible QR stamp on a desk scan (Circular 01/2023/TT-VPCP): the QR code of the scan's
payload (dossier, procedure, applicant, document, time) drawn in the bottom right corner of
the first page of a PDF, or of a JPEG or PNG picture. The officer's file is never changed; the
stamp makes a copy. A PDF is stamped by an incremental update (pyHanko), so the copy starts
with the original bytes and keeps any signature on them valid."""

from io import BytesIO

import segno
from PIL import Image, ImageOps, UnidentifiedImageError
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.stamp import StaticContentStamp, StaticStampStyle

#: The formats a stamp can be drawn on.
STAMPABLE = frozenset({"pdf", "jpg", "jpeg", "png"})

PDF_SIZE_PT = 85  # 30 mm square
PDF_MARGIN_PT = 14  # 5 mm from the page's edges
IMAGE_SHARE = 0.22  # the QR's side, as a share of the picture's shorter side
IMAGE_MIN_MODULE_PX = 3  # below this a phone cannot read the printed code
BORDER_MODULES = 2


class StampError(ValueError):
    """The file cannot carry a stamp (unreadable, encrypted, too small)."""


def stamp_scan(content: bytes, file_format: str, payload: str) -> bytes:
    """A copy of the scan ``content`` with the QR code of ``payload`` on its first page."""
    if file_format == "pdf":
        return stamp_pdf(content, payload)
    if file_format in STAMPABLE:
        return stamp_image(content, payload)
    raise StampError(f"A {file_format} file cannot be stamped.")


def _qr(payload: str):
    return segno.make(payload, error="m", micro=False)


def stamp_pdf(content: bytes, payload: str) -> bytes:
    """The PDF with the QR in the bottom right corner of page 1 (one pixel per module,
    scaled to 30 mm by the viewer)."""
    buffer = BytesIO()
    _qr(payload).save(buffer, kind="png", scale=1, border=BORDER_MODULES)
    code = Image.open(buffer).convert("L")
    try:
        return _stamp_first_page(content, code)
    except StampError:
        raise
    except (PdfError, KeyError, IndexError, TypeError, ValueError) as error:
        raise StampError(f"The PDF cannot be read: {error}") from error


def _stamp_first_page(content: bytes, code: Image.Image) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(content), strict=False)
    if writer.prev.encrypted:
        raise StampError("An encrypted PDF cannot be stamped.")
    _left, bottom, right, _top = _page_box(writer)
    box = layout.BoxConstraints(width=PDF_SIZE_PT, height=PDF_SIZE_PT)
    style = StaticStampStyle(
        background=PdfImage(code, box=box),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins.uniform(0),
        ),
        border_width=0,
    )
    StaticContentStamp(writer, style, box).apply(
        0, right - PDF_MARGIN_PT - PDF_SIZE_PT, bottom + PDF_MARGIN_PT
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _page_box(writer) -> tuple[float, float, float, float]:
    """The visible area of page 1 (its crop box, else its media box, maybe inherited)."""
    page_ref, _resources = writer.find_page_for_modification(0)
    node = page_ref.get_object()
    while node is not None:
        for key in ("/CropBox", "/MediaBox"):
            if key in node:
                return tuple(float(v) for v in node[key])
        parent = node.get("/Parent")
        node = parent.get_object() if isinstance(parent, generic.IndirectObject) else parent
    raise StampError("The first page has no size.")


def stamp_image(content: bytes, payload: str) -> bytes:
    """The picture, upright as shown, with the QR pasted in its bottom right corner, saved
    in its own format."""
    try:
        original = Image.open(BytesIO(content))
        original.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise StampError(f"The picture cannot be read: {error}") from error
    picture = ImageOps.exif_transpose(original)
    if picture.mode not in ("RGB", "L"):  # transparency and palettes, on white paper
        rgba = picture.convert("RGBA")
        picture = Image.new("RGB", rgba.size, "white")
        picture.paste(rgba, mask=rgba)
    qr = _qr(payload)
    modules = qr.symbol_size(scale=1, border=BORDER_MODULES)[0]
    scale = max(IMAGE_MIN_MODULE_PX, int(min(picture.size) * IMAGE_SHARE) // modules)
    side = modules * scale
    margin = max(side // 10, scale)
    if side + margin > min(picture.size):
        raise StampError("The picture is too small to carry a readable QR code.")
    buffer = BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=BORDER_MODULES)
    code = Image.open(buffer).convert(picture.mode)
    picture.paste(code, (picture.width - side - margin, picture.height - side - margin))
    kept = {key: original.info[key] for key in ("dpi", "icc_profile") if key in original.info}
    out = BytesIO()
    if original.format == "JPEG":
        picture.save(out, "JPEG", quality=92, **kept)
    else:
        picture.save(out, "PNG", **kept)
    return out.getvalue()
