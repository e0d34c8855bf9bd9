// Start-up: rebuilds an instance's state from its store. Called with the instance lock held
// exclusively, before serving.
#pragma once

#include "common/status.h"
#include "service/instance_state.h"

namespace dtwin::service {

// Loads every model (re-parsed batch by batch, in upload order, so references resolve; then
// decommissioned), twin, relationship and event route of state.store into state. Fails
// (kInternal) naming the record when the store is inconsistent: a record that does not
// decode, a relationship whose source or target twin is missing, stored models that no
// longer parse.
Status LoadInstance(InstanceState& state);

}  // namespace dtwin::service
