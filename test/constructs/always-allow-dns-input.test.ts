import { describeBadInputs } from '../support/describe-bad-inputs';

describeBadInputs('AlwaysAllowDns');
