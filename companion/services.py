"""Services registered in Pyramid's registry and looked up by interface, as Warehouse does.

The API is pyramid_services' (``config.register_service_factory(factory, iface)`` and
``request.find_service(iface)``, factories called as ``factory(context, request)``), so
pyramid_services can replace this module without touching a domain. It is not installed here,
and this is the part of it the app uses: one instance per request and interface, and a check
that the service provides the interface it is registered for.
"""

from __future__ import annotations

from zope.interface import Interface
from zope.interface.interface import InterfaceClass


class IServiceFactory(Interface):
    """Marker under which service factories are registered, named by interface (and name)."""


def _key(iface: InterfaceClass, name: str) -> str:
    return f"{iface.__identifier__}:{name}"


def register_service_factory(config, factory, iface: InterfaceClass = Interface, *, name: str = "") -> None:
    factory = config.maybe_dotted(factory)

    def register():
        config.registry.registerUtility(factory, IServiceFactory, name=_key(iface, name))

    discriminator = ("companion.service", iface.__identifier__, name)
    intr = config.introspectable("services", discriminator, f"{iface.__identifier__} {name}".strip(), "service")
    intr["factory"] = factory
    intr["interface"] = iface
    config.action(discriminator, register, introspectables=(intr,))


def find_service(request, iface: InterfaceClass = Interface, *, name: str = "", context=None):
    cache = request.__dict__.setdefault("_companion_services", {})
    key = (iface, name)
    if key not in cache:
        factory = request.registry.queryUtility(IServiceFactory, name=_key(iface, name))
        if factory is None:
            raise LookupError(f"no service registered for {iface.__identifier__} {name!r}")
        service = factory(context, request)
        if not iface.providedBy(service):
            raise TypeError(f"{factory!r} made {service!r}, which does not provide {iface.__identifier__}")
        cache[key] = service
    return cache[key]


def includeme(config) -> None:
    config.add_directive("register_service_factory", register_service_factory)
    config.add_request_method(find_service, "find_service")
