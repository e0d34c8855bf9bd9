#include "dtdl/instance_validator.h"
