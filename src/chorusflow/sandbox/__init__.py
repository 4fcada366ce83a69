"""A local Chorus Pro: PISTE OAuth2 and the Chorus Pro API at their real paths, a persistent
data set, asynchronous flows, the invoice lifecycle and faults on demand (docs/sandbox.md).

    from chorusflow.sandbox import FAST, start
    sandbox = start(Path("cpro.db"), FAST)          # a free loopback port, in a thread
    ...  # token URL: sandbox.token_url, API URL: sandbox.api_url
    sandbox.stop()
"""

from chorusflow.sandbox.app import create_app
from chorusflow.sandbox.dataset import describe as describe_dataset
from chorusflow.sandbox.dataset import ensure as ensure_dataset
from chorusflow.sandbox.faults import FaultPlan
from chorusflow.sandbox.server import RunningSandbox, serve, start
from chorusflow.sandbox.settings import FAST, BuyerPolicy, SandboxSettings
from chorusflow.sandbox.store import Store

__all__ = [
    "FAST",
    "BuyerPolicy",
    "FaultPlan",
    "RunningSandbox",
    "SandboxSettings",
    "Store",
    "create_app",
    "describe_dataset",
    "ensure_dataset",
    "serve",
    "start",
]
