"""Colour contrast as WCAG 2.2 defines it, for the shop's brand colours."""

WHITE = "#ffffff"
PAPER = "#fbf8f3"  # the storefront's page background (site/static/css/site.css)
AA_TEXT = 4.5

#: (field, the colour it meets, minimum ratio, the failure in a shop's words)
CHECKS = (
    ("brand_colour", WHITE, AA_TEXT, "White text on {colour}"),
    ("accent_colour", PAPER, AA_TEXT, "Links in {colour} on the light page"),
)


def _channels(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.2, "relative luminance")."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_light(colour: str) -> bool:
    return luminance(colour) > 0.18


def darken(colour: str, amount: float) -> str:
    """The colour a shade darker (for hover and focus states)."""
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in _channels(colour))


def problems(values: dict[str, str]) -> dict[str, str]:
    """The colour fields among `values` that fail their check, with why."""
    found = {}
    for field, against, minimum, failure in CHECKS:
        colour = values.get(field) or ""
        if len(colour) != 7 or not colour.startswith("#"):
            continue
        ratio = contrast(colour, against)
        if ratio < minimum:
            shade = "darker" if field == "brand_colour" else "deeper"
            found[field] = (
                f"{failure.format(colour=colour)} would be hard to read: the "
                f"contrast is {ratio:.1f}:1 and WCAG AA asks for at least "
                f"{minimum:g}:1. Choose a {shade} shade."
            )
    return found
