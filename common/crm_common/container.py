"""The services' Nameko container (config `SERVICE_CONTAINER_CLS`): nameko's, with a leaner worker.

For every request nameko's `_run_worker` entered four timing context managers whose only use is
a debug log line (a generator, two clock reads and a formatted message each), formatted the
worker's call-id stack for another debug line (a uuid4: a system call for random bytes) and
called `worker_setup`, `worker_result` and `worker_teardown` on every dependency, most of which
inherit nameko's empty ones. Here a worker does the same steps in the same order, calls only the
hooks a dependency defines, and makes the call id only when something asks for it (an RPC the
worker makes to another service).
"""
import logging
import sys

from nameko.containers import ServiceContainer
from nameko.extensions import DependencyProvider

log = logging.getLogger("nameko.containers")  # the messages nameko's worker logged, under its name
_HOOKS = ("worker_setup", "worker_result", "worker_teardown")


def _defines(provider, hook: str) -> bool:
    return getattr(type(provider), hook) is not getattr(DependencyProvider, hook)


class CrmContainer(ServiceContainer):

    def start(self):
        # the dependencies are final now (nameko's testing tools replace them before a start)
        self._hooked = {hook: [provider for provider in self.dependencies if _defines(provider, hook)]
                        for hook in _HOOKS}
        super().start()

    def _run_worker(self, worker_ctx, handle_result):
        self._inject_dependencies(worker_ctx)
        self._worker_setup(worker_ctx)
        result = exc_info = None
        method = getattr(worker_ctx.service, worker_ctx.entrypoint.method_name)
        try:
            result = method(*worker_ctx.args, **worker_ctx.kwargs)
        except Exception as exc:
            if isinstance(exc, worker_ctx.entrypoint.expected_exceptions):
                log.warning("(expected) error handling worker %s: %s", worker_ctx, exc, exc_info=True)
            else:
                log.exception("error handling worker %s: %s", worker_ctx, exc)
            exc_info = sys.exc_info()
        if handle_result is not None:
            result, exc_info = handle_result(worker_ctx, result, exc_info)
        self._worker_result(worker_ctx, result, exc_info)
        del exc_info  # breaks the frame's cycle now rather than at a collection
        self._worker_teardown(worker_ctx)

    def _worker_setup(self, worker_ctx):
        for provider in self._hooked["worker_setup"]:
            provider.worker_setup(worker_ctx)

    def _worker_result(self, worker_ctx, result, exc_info):
        for provider in self._hooked["worker_result"]:
            provider.worker_result(worker_ctx, result, exc_info)

    def _worker_teardown(self, worker_ctx):
        for provider in self._hooked["worker_teardown"]:
            provider.worker_teardown(worker_ctx)
