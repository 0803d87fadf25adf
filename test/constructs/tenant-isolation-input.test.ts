import { describeBadInputs } from '../support/describe-bad-inputs';

describeBadInputs('TenantIsolation');
