"""What a visitor reads when a security key is refused, for each WebAuthnError code."""

from i18n_tool.pyramid import _

WEBAUTHN_ERRORS = {
    "label_required": _("This field is required."),
    "label_too_long": _("Use a name of at most 64 characters."),
    "label_taken": _("You already have a security key with this name. Choose another name."),
    "no_challenge": _("This page was open too long or was already used. Try again."),
    "no_answer": _("Your browser sent no answer from a security key. Security keys need JavaScript: "
                   "turn it on, then try again."),
    "invalid": _("The security key's answer could not be checked. Try again."),
    "wrong_origin": _("The security key answered for another site address. Open this site at its usual "
                      "address, then try again."),
    "user_verification": _("This site needs your key to verify that it is you, with a PIN or a fingerprint. "
                           "Use a key that can, or set up its PIN."),
    "duplicate": _("This security key is already registered."),
    "unknown_key": _("This security key is not one of the keys of your account."),
    "cloned_key": _("This security key was refused: its counter went back, so it may have been copied. "
                    "Use another method, and tell the site's administrators."),
}
