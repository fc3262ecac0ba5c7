export const DEPLOY_HASH_OUTPUT = 'ArchctlDeployHash';
