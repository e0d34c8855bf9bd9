#include "service/digital_twins_service.h"
