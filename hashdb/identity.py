"""A hotline's key pair for sharing lists: X25519 to receive, Ed25519 to sign what it sends.

The public half travels as one line of text, `hotline-pub-1:<x25519>:<ed25519>` (base64), with
a fingerprint to compare over the phone before trusting it.
"""

import base64
import json
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from hashdb.errors import HashdbError
from hashdb.sealed import Recipient, RecipientKey, fingerprint, private_bytes, raw_public

PREFIX = "hotline-pub-1"


@dataclass(frozen=True)
class PublicIdentity:
    encryption: X25519PublicKey
    signing: Ed25519PublicKey

    def text(self) -> str:
        enc = base64.b64encode(raw_public(self.encryption)).decode()
        sig = base64.b64encode(raw_public(self.signing)).decode()
        return f"{PREFIX}:{enc}:{sig}"

    @property
    def fingerprint(self) -> str:
        return fingerprint(raw_public(self.encryption) + raw_public(self.signing))

    @property
    def signing_bytes(self) -> bytes:
        return raw_public(self.signing)

    def recipient(self) -> Recipient:
        return Recipient(self.encryption)

    @classmethod
    def parse(cls, text: str) -> "PublicIdentity":
        parts = text.strip().split(":")
        if len(parts) != 3 or parts[0] != PREFIX:
            raise HashdbError(f"not a hotline public key (it starts {PREFIX}:...)")
        try:
            enc = X25519PublicKey.from_public_bytes(base64.b64decode(parts[1], validate=True))
            sig = Ed25519PublicKey.from_public_bytes(base64.b64decode(parts[2], validate=True))
        except ValueError:
            raise HashdbError("the hotline public key is damaged") from None
        return cls(enc, sig)


@dataclass(frozen=True)
class Identity:
    encryption: X25519PrivateKey
    signing: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> "Identity":
        return cls(X25519PrivateKey.generate(), Ed25519PrivateKey.generate())

    def public(self) -> PublicIdentity:
        return PublicIdentity(self.encryption.public_key(), self.signing.public_key())

    def unwrap(self) -> RecipientKey:
        return RecipientKey(self.encryption)

    def to_json(self) -> str:
        """The private keys as JSON: store it only encrypted (the workspace database)."""
        return json.dumps({
            "x25519": base64.b64encode(private_bytes(self.encryption)).decode(),
            "ed25519": base64.b64encode(private_bytes(self.signing)).decode()})

    @classmethod
    def from_json(cls, text: str) -> "Identity":
        data = json.loads(text)
        return cls(X25519PrivateKey.from_private_bytes(base64.b64decode(data["x25519"])),
                   Ed25519PrivateKey.from_private_bytes(base64.b64decode(data["ed25519"])))
