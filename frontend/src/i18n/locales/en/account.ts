import type { AccountMessages } from '../id/account'

const messages: AccountMessages = {
  account: {
    title: 'My account',
    profile: {
      title: 'Profile',
      name: 'Name',
      email: 'E-mail',
      role: 'Role',
      agency: 'Agency',
      noAgency: 'Not tied to an agency',
      changeHint: 'The organising team changes names, e-mail addresses and roles.',
    },
    tokens: {
      title: 'Personal access tokens',
      intro:
        'Tokens for scripts and other applications that use the KIPP API on your behalf. Send one as the header "Authorization: Bearer …". Revoke tokens you no longer use.',
      createTitle: 'Create a token',
      name: 'Token name',
      nameHint: 'What the token is for, e.g. "import script".',
      nameRequired: 'Enter a name for the token.',
      expiry: 'Valid until',
      expiryHint: 'Leave empty for a token that does not expire. The token works until the end of the chosen day.',
      create: 'Create token',
      creating: 'Creating…',
      createdTitle: 'Token "{name}" created',
      createdWarning: 'Copy and store this token now. It will not be shown again.',
      tokenLabel: 'Token',
      copy: 'Copy',
      copied: 'Copied',
      copiedStatus: 'The token was copied to the clipboard.',
      copyFailed: 'Could not copy automatically: select the token text and copy it by hand.',
      done: 'I have stored it',
      listTitle: 'Active tokens',
      empty: 'No active tokens yet.',
      prefix: 'Prefix',
      createdAt: 'Created',
      expiresAt: 'Expires',
      never: 'Does not expire',
      lastUsed: 'Last used',
      notUsed: 'Never',
      revoke: 'Revoke',
      revokeTitle: 'Revoke the token?',
      revokeBody: 'Token "{name}" stops working at once. Scripts using it will be refused. This cannot be undone.',
    },
  },
}

export default messages
