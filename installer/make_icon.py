"""Draw the application icon (a shield with a blurred picture behind a clear bar) and write
resources/icons/hotline.png (256 px) and hotline.ico (Windows). Run once when the design
changes; the files are committed, so building needs no drawing."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int = 1024) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle([40, 40, size - 40, size - 40], radius=size // 6, fill=(33, 80, 140))
    # a "picture" of shapes, blurred: what the analyst sees by default
    picture = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    p = ImageDraw.Draw(picture)
    p.ellipse([260, 250, 560, 550], fill=(250, 210, 80))
    p.rectangle([480, 420, 800, 760], fill=(120, 200, 160))
    picture = picture.filter(ImageFilter.GaussianBlur(size / 28))
    image.alpha_composite(picture)
    # the shield's outline: protection
    shield = [(size / 2, 170), (size - 210, 270), (size - 230, 620), (size / 2, size - 150),
              (230, 620), (210, 270)]
    d.line([*shield, shield[0]], fill=(255, 255, 255), width=size // 28, joint="curve")
    d.rounded_rectangle([300, 600, size - 300, 660], radius=30, fill=(255, 255, 255))
    return image


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.Resampling.LANCZOS).save(ICONS / "hotline.png")
    big.save(ICONS / "hotline.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128),
                                            (256, 256)])


if __name__ == "__main__":
    main()
