/**
 * The policy pack of the blueprint, for `pulumi preview --policy-pack policy` (and `pulumi up`).
 * Constructing the pack starts the policy server the Pulumi CLI talks to.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_NAME, policies } from "./pack";

new PolicyPack(PACK_NAME, { description: PACK_DESCRIPTION, policies });
