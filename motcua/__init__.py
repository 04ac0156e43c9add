"""motcua: the one-stop shop (bộ phận một cửa) system of a province's public administrative service centers."""

__version__ = "0.1.0"
