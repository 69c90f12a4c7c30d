import type { Reply } from './responses.js';

/** What an SSO proxy in front of FireFighter answers once its session has expired: a 200 with a login form. */
export function loginPageReply(): Reply {
  const body = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in · FireFighter</title></head>
<body>
  <form method="post" action="/oidc/authenticate/">
    <h1>Sign in to FireFighter</h1>
    <label>Email <input type="email" name="login"></label>
    <label>Password <input type="password" name="password"></label>
    <button type="submit">Sign in</button>
  </form>
</body>
</html>
`;
  return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
}
