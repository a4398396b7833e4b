// The security-key ceremony for a form marked data-webauthn="create" or "get".
//
// The form carries the options JSON (data-options, or data-options-id naming a
// <script type="application/json">), a hidden field for the answer (data-field, default
// "credential") and its localized error messages (data-error-not-allowed, -invalid-state,
// -security, -unsupported, -other), shown in the form's role="alert" element.
// Without JavaScript the form still posts, without an answer, and the server says so; with a
// required field left empty it posts too, before any ceremony, and the server names the field.

const ERRORS = {
  NotAllowedError: "errorNotAllowed",
  AbortError: "errorNotAllowed",
  InvalidStateError: "errorInvalidState",
  SecurityError: "errorSecurity",
  NotSupportedError: "errorUnsupported",
};

export function toBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), "="));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
}

export function toBase64url(buffer) {
  const binary = String.fromCharCode(...new Uint8Array(buffer));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function withBytes(descriptors) {
  return (descriptors || []).map((d) => ({ ...d, id: toBytes(d.id) }));
}

function creationOptions(json) {
  return {
    ...json,
    challenge: toBytes(json.challenge),
    user: { ...json.user, id: toBytes(json.user.id) },
    excludeCredentials: withBytes(json.excludeCredentials),
  };
}

function requestOptions(json) {
  return { ...json, challenge: toBytes(json.challenge), allowCredentials: withBytes(json.allowCredentials) };
}

function optional(buffer) {
  return buffer ? toBase64url(buffer) : null;
}

function answer(credential) {
  const r = credential.response;
  const response = { clientDataJSON: toBase64url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toBase64url(r.attestationObject);
    response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    Object.assign(response, {
      authenticatorData: toBase64url(r.authenticatorData),
      signature: toBase64url(r.signature),
      userHandle: optional(r.userHandle),
    });
  }
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response,
    authenticatorAttachment: credential.authenticatorAttachment || null,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

function optionsOf(form) {
  const source = form.dataset.optionsId ? document.getElementById(form.dataset.optionsId).textContent
    : form.dataset.options;
  return JSON.parse(source);
}

function hideError(form) {
  const alert = form.querySelector('[role="alert"]');
  alert.hidden = true;
  alert.textContent = "";
}

function showError(form, error) {
  const alert = form.querySelector('[role="alert"]');
  const key = ERRORS[error && error.name] || "errorOther";
  alert.textContent = form.dataset[key] || form.dataset.errorOther || "";
  alert.hidden = false;
}

async function ceremony(form) {
  const json = optionsOf(form);
  if (form.dataset.webauthn === "create") {
    return navigator.credentials.create({ publicKey: creationOptions(json) });
  }
  return navigator.credentials.get({ publicKey: requestOptions(json) });
}

async function onSubmit(event) {
  const form = event.currentTarget;
  const field = form.elements[form.dataset.field || "credential"];
  if ([...form.elements].some((e) => e.required && !e.value.trim())) {
    return; // no ceremony yet: the server names the empty field, in the page's language
  }
  event.preventDefault();
  if (form.dataset.busy) return;
  hideError(form);
  if (!window.PublicKeyCredential || !navigator.credentials) {
    showError(form, { name: "NotSupportedError" });
    return;
  }
  form.dataset.busy = "true";
  try {
    field.value = JSON.stringify(answer(await ceremony(form)));
    HTMLFormElement.prototype.submit.call(form); // a control named "submit" would hide form.submit
  } catch (error) {
    showError(form, error);
  } finally {
    delete form.dataset.busy;
  }
}

for (const form of document.querySelectorAll("form[data-webauthn]")) {
  form.addEventListener("submit", onSubmit);
}
