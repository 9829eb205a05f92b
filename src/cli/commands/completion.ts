/**
 * Shell completion uses yargs' built-in generator (`session-logoff completion >> ~/.bashrc`, zsh too);
 * registered in app.ts with `.completion()`. This module only holds its wording.
 */
export const COMPLETION_COMMAND = 'completion';
export const COMPLETION_DESCRIBE = 'Print a bash/zsh completion script (session-logoff completion >> ~/.bashrc)';
