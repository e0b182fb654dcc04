"""Events the workspace service emits."""
from crm_common.events.fields import HandOverDone

EVENTS = {
    ("workspace.handover_done", 1): HandOverDone,
}
