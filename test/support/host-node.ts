// The node a test's host process runs with: this one (MockCluster's default), unless
// WSFC_TEST_HOST_NODE names another command. The arm64 tier sets it to a qemu-user wrapper:
// without binfmt_misc, an emulated node cannot exec another arm64 node directly.
export const hostNode: { node?: string } = process.env.WSFC_TEST_HOST_NODE ? { node: process.env.WSFC_TEST_HOST_NODE } : {};
