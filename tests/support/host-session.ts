// Moved into the Playwright kit (testing/), which the project's own tests share with outside users.
export { callOverSocket, hostSocket, openHostSession } from '../../testing/host-session';
