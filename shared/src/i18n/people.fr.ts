import type { enPeople } from './people.en.js';

/** Messages français de la page des personnes, réservée aux administrateurs : mêmes clés que la version anglaise. */
export const frPeople: Record<keyof typeof enPeople, string> = {
  'people.nav': 'Personnes',
  'people.title': 'Personnes',
  'people.intro': 'Toutes les personnes qui peuvent se connecter à Passerelle. Les services d’une personne déterminent les validations qu’elle peut donner.',
  'people.adminOnly': 'Seuls les administrateurs peuvent gérer les personnes.',
  'people.loading': 'Chargement des personnes…',
  'people.empty': 'Personne pour le moment.',

  'people.table.caption': 'Les personnes et leurs services',
  'people.table.name': 'Nom',
  'people.table.email': 'Adresse e-mail',
  'people.table.role': 'Rôle',
  'people.table.departments': 'Services',
  'people.role.admin': 'Administrateur',
  'people.role.member': 'Membre',
  'people.you': 'vous',
  'people.departmentsOf': 'Services : {name}',
  'people.saving': 'Enregistrement…',
  'people.saved': 'Enregistré',

  'people.form.title': 'Ajouter une personne',
  'people.form.intro': 'Transmettez-lui le mot de passe provisoire par un autre canal.',
  'people.form.name': 'Nom',
  'people.form.email': 'Adresse e-mail',
  'people.form.password': 'Mot de passe provisoire',
  'people.form.password.hint': 'Au moins 10 caractères.',
  'people.form.departments': 'Services',
  'people.form.submit': 'Ajouter la personne',
  'people.form.added': 'Compte créé pour {name}.',
  'people.form.invalid.name': 'Saisissez un nom (80 caractères au plus).',
  'people.form.invalid.email': 'Saisissez une adresse e-mail valide.',
  'people.form.invalid.password': 'Le mot de passe doit comporter au moins 10 caractères.',
  'people.form.invalid.departments': 'Choisissez des services dans la liste.',
};
